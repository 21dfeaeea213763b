// Current memberships per customer (SegmentMembership) and their history
// (SegmentTransition). Each batch of customers is compared with what is
// stored and only the differences are written: new memberships with COPY,
// left ones deleted, changed reasons updated, and one transition row per
// entry or exit.
import { copyFrom, copyText, type PgClient } from "./recompute-pg.server";

export interface CustomerMemberships {
  customerId: string;
  /** segment key ("family/handle") -> reason */
  memberships: Map<string, string>;
}

export interface MembershipChanges {
  entered: number;
  left: number;
  reasonsUpdated: number;
  /** Customers whose set of segments changed. */
  customersChanged: number;
}

/** Stored memberships of customers with ids in [fromId, toId]. */
export async function loadMemberships(client: PgClient, shopId: string, fromId: string, toId: string): Promise<Map<string, Map<string, string>>> {
  const { rows } = await client.query<[string, string, string]>({
    text: `SELECT "customerId", segment, reason FROM "SegmentMembership" WHERE "shopId" = $1 AND "customerId" BETWEEN $2::bigint AND $3::bigint`,
    values: [shopId, fromId, toId],
    rowMode: "array",
  });
  const out = new Map<string, Map<string, string>>();
  for (const [customerId, segment, reason] of rows) {
    let m = out.get(customerId);
    if (!m) out.set(customerId, (m = new Map()));
    m.set(segment, reason);
  }
  return out;
}

/**
 * Replaces the stored memberships of the customers with ids in [fromId,
 * toId] by `next` (customers of the range missing from `next` lose all
 * theirs). Runs in one transaction, so a retried chunk sees either the old
 * or the new state, never half of it.
 */
export async function replaceMembershipsInRange(
  client: PgClient,
  input: {
    shopId: string;
    fromId: string;
    toId: string;
    next: Iterable<CustomerMemberships>;
    at: Date;
    recordTransitions: boolean;
  },
): Promise<MembershipChanges> {
  const { shopId, at } = input;
  await client.query("BEGIN");
  try {
    const stored = await loadMemberships(client, shopId, input.fromId, input.toId);
    const atText = at.toISOString();
    const inserts: string[] = [];
    const transitions: string[] = [];
    const delCustomer: string[] = [];
    const delSegment: string[] = [];
    const updCustomer: string[] = [];
    const updSegment: string[] = [];
    const updReason: string[] = [];
    const changes: MembershipChanges = { entered: 0, left: 0, reasonsUpdated: 0, customersChanged: 0 };
    const shopText = copyText(shopId);
    const seen = new Set<string>();
    const leave = (customerId: string, segment: string) => {
      delCustomer.push(customerId);
      delSegment.push(segment);
      changes.left++;
      if (input.recordTransitions) transitions.push(`${shopText}\t${customerId}\t${copyText(segment)}\tleft\t${atText}\t\\N\n`);
    };
    for (const { customerId, memberships } of input.next) {
      seen.add(customerId);
      const before = stored.get(customerId);
      let changed = false;
      for (const [segment, reason] of memberships) {
        const old = before?.get(segment);
        if (old === undefined) {
          changed = true;
          changes.entered++;
          inserts.push(`${shopText}\t${customerId}\t${copyText(segment)}\t${copyText(reason)}\t${atText}\n`);
          if (input.recordTransitions) {
            transitions.push(`${shopText}\t${customerId}\t${copyText(segment)}\tentered\t${atText}\t${copyText(reason)}\n`);
          }
        } else if (old !== reason) {
          updCustomer.push(customerId);
          updSegment.push(segment);
          updReason.push(reason);
          changes.reasonsUpdated++;
        }
      }
      if (before) {
        for (const segment of before.keys()) {
          if (!memberships.has(segment)) {
            changed = true;
            leave(customerId, segment);
          }
        }
      }
      if (changed) changes.customersChanged++;
    }
    for (const [customerId, before] of stored) {
      if (seen.has(customerId)) continue;
      changes.customersChanged++;
      for (const segment of before.keys()) leave(customerId, segment);
    }
    if (delCustomer.length) {
      await client.query(
        `DELETE FROM "SegmentMembership" m USING unnest($2::bigint[], $3::text[]) AS d(c, s)
         WHERE m."shopId" = $1 AND m."customerId" = d.c AND m.segment = d.s`,
        [shopId, delCustomer, delSegment],
      );
    }
    if (updCustomer.length) {
      await client.query(
        `UPDATE "SegmentMembership" m SET reason = u.r FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(c, s, r)
         WHERE m."shopId" = $1 AND m."customerId" = u.c AND m.segment = u.s`,
        [shopId, updCustomer, updSegment, updReason],
      );
    }
    if (inserts.length) {
      await copyFrom(client, `COPY "SegmentMembership" ("shopId", "customerId", segment, reason, since) FROM STDIN`, inserts);
    }
    if (transitions.length) {
      await copyFrom(client, `COPY "SegmentTransition" ("shopId", "customerId", segment, change, at, reason) FROM STDIN`, transitions);
    }
    await client.query("COMMIT");
    return changes;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
