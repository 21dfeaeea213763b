// Segments: the Segment view, segments/segment queries and the segment
// mutations (names unique, query text stored, not evaluated).
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../connections";
import type { RequestContext } from "../core";
import type { SegmentRecord } from "../shop";
import { isoFromSeconds } from "../util";
import { userError, type ViewContext } from "./common";

export function segmentView(ctx: ViewContext, segment: SegmentRecord) {
  return {
    __typename: "Segment",
    id: ctx.shop.ids.gid("Segment", segment.id),
    name: segment.name,
    query: segment.query,
    creationDate: isoFromSeconds(segment.creationDate),
    lastEditDate: isoFromSeconds(segment.lastEditDate),
  };
}

export function segmentQueries(ctx: ViewContext) {
  return {
    segments: (args: ConnectionArgs) => {
      checkPageArgs(args, "segments", ctx.bulk);
      const list = [...ctx.shop.segments.values()];
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => segmentView(ctx, list[p]),
      );
    },
  };
}

export function segmentMutations(ctx: RequestContext) {
  const segments = ctx.shop.segments;
  const nameTaken = (name: string, except?: number) =>
    [...segments.values()].some((s) => s.name === name && s.id !== except);
  const checkQuery = (query: string) => (query.trim().length === 0 ? "Query can't be blank" : null);
  return {
    segmentCreate: (args: { name: string; query: string }) => {
      if (!args.name.trim())
        return {
          segment: null,
          userErrors: [userError(["name"], "Name can't be blank")],
        };
      if (nameTaken(args.name))
        return {
          segment: null,
          userErrors: [userError(["name"], "Name has already been taken")],
        };
      const queryError = checkQuery(args.query);
      if (queryError)
        return {
          segment: null,
          userErrors: [userError(["query"], queryError)],
        };
      const record = {
        id: ctx.core.nextId(),
        name: args.name,
        query: args.query,
        creationDate: ctx.nowSeconds,
        lastEditDate: ctx.nowSeconds,
      };
      segments.set(record.id, record);
      return { segment: segmentView(ctx, record), userErrors: [] };
    },
    segmentUpdate: (args: { id: string; name?: string | null; query?: string | null }) => {
      const record = segments.get(ctx.shop.ids.localFromGid(args.id, "Segment") ?? -1);
      if (!record)
        return {
          segment: null,
          userErrors: [userError(["id"], "Segment does not exist")],
        };
      if (args.name != null && nameTaken(args.name, record.id))
        return {
          segment: null,
          userErrors: [userError(["name"], "Name has already been taken")],
        };
      if (args.query != null) {
        const queryError = checkQuery(args.query);
        if (queryError)
          return {
            segment: null,
            userErrors: [userError(["query"], queryError)],
          };
        record.query = args.query;
      }
      if (args.name != null) record.name = args.name;
      record.lastEditDate = ctx.nowSeconds;
      return { segment: segmentView(ctx, record), userErrors: [] };
    },
    segmentDelete: (args: { id: string }) => {
      const id = ctx.shop.ids.localFromGid(args.id, "Segment") ?? -1;
      if (!segments.delete(id))
        return {
          deletedSegmentId: null,
          userErrors: [userError(["id"], "Segment does not exist")],
        };
      return { deletedSegmentId: args.id, userErrors: [] };
    },
  };
}
