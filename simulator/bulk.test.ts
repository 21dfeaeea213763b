import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "./index";
import { gql, smallStore, SHOP, waitFor } from "./test-helpers";

let sim: Simulator;
afterEach(async () => {
  await sim.close();
});

const RUN_QUERY = `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }`;

async function finished(id: string) {
  return waitFor(async () => {
    const { body } = await gql(
      sim,
      `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount fileSize url errorCode } } }`,
      { id },
    );
    const op = body.data!.node;
    return op.status === "COMPLETED" || op.status === "FAILED" ? op : null;
  });
}

const RUN_GROUPED = `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id status } userErrors { field message code } } }`;

const ORDERS_WITH_LINES = `{ orders(query: "created_at:>='2024-01-01'") { edges { node { id name customer { id } totalPriceSet { shopMoney { amount } }
  lineItems { edges { node { id quantity product { id } } } } refunds { id } } } } }`;

async function exportLines(mutation: string, query: string) {
  const started = await gql(sim, mutation, { q: query });
  expect(started.body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
  expect(started.body.data!.bulkOperationRunQuery.bulkOperation.status).toBe("CREATED");
  const op = await finished(started.body.data!.bulkOperationRunQuery.bulkOperation.id);
  expect(op.status).toBe("COMPLETED");
  const text = await (await fetch(op.url)).text();
  expect(Number(op.fileSize)).toBe(Buffer.byteLength(text));
  const lines = text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, any>);
  expect(lines).toHaveLength(Number(op.objectCount));
  return { op, lines };
}

describe("bulk query", () => {
  it("writes Shopify's grouped JSONL with groupObjects: true: each child line right after its parent", async () => {
    sim = await smallStore();
    const { op, lines } = await exportLines(RUN_GROUPED, ORDERS_WITH_LINES);
    const roots = lines.filter((l) => !("__parentId" in l));
    const children = lines.filter((l) => "__parentId" in l);
    expect(roots).toHaveLength(sim.orderCount(SHOP));
    expect(Number(op.rootObjectCount)).toBe(roots.length);
    expect(roots[0]).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/),
      name: "#1001",
      customer: expect.anything(),
    });
    expect(roots[0].lineItems).toBeUndefined(); // nested connections are never inline
    expect(roots[0].totalPriceSet.shopMoney.amount).toMatch(/^\d+\.\d+$/); // nested objects are inline
    expect(Array.isArray(roots[0].refunds)).toBe(true);
    let currentRoot: string | null = null;
    for (const line of lines) {
      if (line.__parentId) {
        expect(line.__parentId).toBe(currentRoot); // grouped: under the root just written
        expect(line.id).toMatch(/^gid:\/\/shopify\/LineItem\//);
      } else currentRoot = line.id;
    }
    expect(children.length).toBeGreaterThan(roots.length);
    expect(sim.callCounts().bulkOperations.query).toBe(1);
  });

  it("writes child lines anywhere by default (groupObjects: false), roots in order, seeded per operation", async () => {
    sim = await smallStore();
    const grouped = await exportLines(RUN_GROUPED, ORDERS_WITH_LINES);
    const ungrouped = await exportLines(RUN_QUERY, ORDERS_WITH_LINES);
    // The same objects...
    const sortKey = (l: Record<string, any>) => JSON.stringify(l);
    expect(ungrouped.lines.map(sortKey).sort()).toEqual(grouped.lines.map(sortKey).sort());
    // ...roots in the same order...
    const rootIds = (lines: Record<string, any>[]) => lines.filter((l) => !l.__parentId).map((l) => l.id);
    expect(rootIds(ungrouped.lines)).toEqual(rootIds(grouped.lines));
    // ...children scattered: some before their parent, some not next to it.
    const position = new Map(ungrouped.lines.map((l, i) => [l.id as string, i]));
    let beforeParent = 0;
    let awayFromParent = 0;
    ungrouped.lines.forEach((line, i) => {
      if (!line.__parentId) return;
      const parent = position.get(line.__parentId);
      expect(parent).toBeDefined(); // every child can be joined by __parentId
      if (parent! > i) beforeParent++;
      if (Math.abs(parent! - i) > 5) awayFromParent++;
    });
    expect(beforeParent).toBeGreaterThan(0);
    expect(awayFromParent).toBeGreaterThan(0);
    // Follow an operation by id (currentBulkOperation is deprecated) and list them.
    const byId = await gql(sim, `query($id: ID!) { bulkOperation(id: $id) { id status objectCount } }`, {
      id: ungrouped.op.id,
    });
    expect(byId.body.data!.bulkOperation).toMatchObject({ id: ungrouped.op.id, status: "COMPLETED" });
    const listed = await gql(
      sim,
      `{ bulkOperations(first: 5, query: "status:completed AND operation_type:query") { nodes { id status } } }`,
    );
    expect(listed.body.data!.bulkOperations.nodes.map((n: { id: string }) => n.id)).toEqual([
      ungrouped.op.id,
      grouped.op.id,
    ]);
  });

  it("allows one running bulk query per shop", async () => {
    sim = await smallStore({ bulkLatencyMs: 400 });
    const first = await gql(sim, RUN_QUERY, {
      q: "{ customers { edges { node { id } } } }",
    });
    const second = await gql(sim, RUN_QUERY, {
      q: "{ orders { edges { node { id } } } }",
    });
    expect(second.body.data!.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(second.body.data!.bulkOperationRunQuery.userErrors[0].code).toBe("OPERATION_IN_PROGRESS");
    await finished(first.body.data!.bulkOperationRunQuery.bulkOperation.id);
    const third = await gql(sim, RUN_QUERY, {
      q: "{ orders { edges { node { id } } } }",
    });
    expect(third.body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
    const current = await gql(sim, "{ currentBulkOperation { id status } }");
    expect(current.body.data!.currentBulkOperation.id).toBe(third.body.data!.bulkOperationRunQuery.bulkOperation.id);
  });

  it("rejects an invalid bulk query with a userError", async () => {
    sim = await smallStore();
    const r = await gql(sim, RUN_QUERY, {
      q: "{ orders { edges { node { idd } } } }",
    });
    expect(r.body.data!.bulkOperationRunQuery.userErrors[0]).toMatchObject({
      field: ["query"],
      code: "INVALID",
    });
    expect(r.body.data!.bulkOperationRunQuery.userErrors[0].message).toContain(
      "Field 'idd' doesn't exist on type 'Order'",
    );
    const noConnection = await gql(sim, RUN_QUERY, { q: "{ shop { name } }" });
    expect(noConnection.body.data!.bulkOperationRunQuery.userErrors[0].message).toContain(
      "must contain at least one connection",
    );
    const message = async (q: string) =>
      (await gql(sim, RUN_QUERY, { q })).body.data!.bulkOperationRunQuery.userErrors[0]?.message;
    expect(
      await message("{ orders { edges { node { id refunds { refundLineItems { edges { node { quantity } } } } } } } }"),
    ).toContain("connection field within a list field");
    expect(await message("{ orders { edges { node { name lineItems { edges { node { id } } } } } } }")).toContain(
      "must select the 'id' field",
    );
    expect(
      await message(
        "{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }",
      ),
    ).toContain("nesting depth greater than 2");
    expect(await message("{ customers { edges { node { id orders { edges { node { id } } } } } } }")).toBeUndefined();
  });
});

describe("bulk mutation", () => {
  it("uploads variables through stagedUploadsCreate and runs tagsAdd once per line", async () => {
    sim = await smallStore();
    const staged = await gql(
      sim,
      `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "tags.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) {
        stagedTargets { url resourceUrl parameters { name value } } userErrors { message } } }`,
    );
    const target = staged.body.data!.stagedUploadsCreate.stagedTargets[0];
    const key = target.parameters.find((p: { name: string }) => p.name === "key").value;
    const customers = await gql(sim, "{ customers(first: 5) { nodes { id } } }");
    const ids: string[] = customers.body.data!.customers.nodes.map((n: { id: string }) => n.id);
    const jsonl =
      ids.map((id) => JSON.stringify({ id, tags: ["segment:champions"] })).join("\n") +
      "\n" +
      JSON.stringify({ id: ids[0], tags: ["x".repeat(256)] }) +
      "\n";
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "tags.jsonl");
    const upload = await fetch(target.url, { method: "POST", body: form });
    expect(upload.status).toBe(201);

    const run = await gql(
      sim,
      `mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) { bulkOperation { id status type } userErrors { field message code } } }`,
      {
        m: "mutation tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }",
        p: key,
      },
    );
    expect(run.body.data!.bulkOperationRunMutation.userErrors).toEqual([]);
    const op = await finished(run.body.data!.bulkOperationRunMutation.bulkOperation.id);
    const results = (await (await fetch(op.url)).text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(results).toHaveLength(6);
    expect(results[0]).toEqual({
      data: { tagsAdd: { node: { id: ids[0] }, userErrors: [] } },
      __lineNumber: 0,
    });
    expect(results[5].data.tagsAdd.userErrors[0].message).toMatch(/too long/);
    for (const id of ids) expect(sim.customerTags(SHOP, id)).toContain("segment:champions");
    expect(sim.callCounts().bulkMutationLines).toEqual({ tagsAdd: 6 });
    expect(sim.callCounts().mutations.tagsAdd).toBeUndefined(); // bulk writes are counted apart
  });

  it("answers NO_SUCH_FILE for an unknown staged upload path", async () => {
    sim = await smallStore();
    const run = await gql(
      sim,
      `mutation { bulkOperationRunMutation(mutation: "mutation($id: ID!) { tagsAdd(id: $id, tags: [\\"a\\"]) { userErrors { message } } }", stagedUploadPath: "tmp/nope") { bulkOperation { id } userErrors { code } } }`,
    );
    expect(run.body.data!.bulkOperationRunMutation.userErrors).toEqual([{ code: "NO_SUCH_FILE" }]);
  });
});

describe("bulk mutation limits", () => {
  it("runs at most 5 bulk mutations at once", async () => {
    sim = await smallStore({ bulkLatencyMs: 500 });
    const staged = await gql(
      sim,
      `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "v.jsonl", mimeType: "text/jsonl" }]) { stagedTargets { url parameters { name value } } } }`,
    );
    const target = staged.body.data!.stagedUploadsCreate.stagedTargets[0];
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    form.append("file", new Blob(['{"id":"gid://shopify/Customer/1","tags":["a"]}\n']), "v.jsonl");
    expect((await fetch(target.url, { method: "POST", body: form })).status).toBe(201);
    const key = target.parameters.find((p: { name: string }) => p.name === "key").value;
    const run = () =>
      gql(
        sim,
        `mutation($p: String!) { bulkOperationRunMutation(mutation: "mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }", stagedUploadPath: $p) { bulkOperation { id } userErrors { code message } } }`,
        {
          p: key,
        },
      );
    for (let i = 0; i < 5; i++) expect((await run()).body.data!.bulkOperationRunMutation.userErrors).toEqual([]);
    const sixth = await run();
    expect(sixth.body.data!.bulkOperationRunMutation.userErrors[0].code).toBe("LIMIT_REACHED");
    expect(sim.callCounts().bulkOperations.mutation).toBe(6);
  });

  it("refuses a staged file over the upload limit as Shopify's target does (20 MiB by default), keeping no file", async () => {
    sim = await smallStore({ maxUploadBytes: 100 });
    const upload = async (bytes: number) => {
      const staged = await gql(
        sim,
        `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "v.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } } }`,
      );
      const target = staged.body.data!.stagedUploadsCreate.stagedTargets[0];
      const form = new FormData();
      for (const p of target.parameters) form.append(p.name, p.value);
      form.append("file", new Blob(["x".repeat(bytes)]), "v.jsonl");
      const response = await fetch(target.url, { method: "POST", body: form });
      const key: string = target.parameters.find((p: { name: string }) => p.name === "key").value;
      return { status: response.status, body: await response.text(), key };
    };
    expect((await upload(100)).status).toBe(201);
    const tooLarge = await upload(101);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body).toContain("<Code>EntityTooLarge</Code>");
    expect(tooLarge.body).toContain("<ProposedSize>101</ProposedSize><MaxSizeAllowed>100</MaxSizeAllowed>");
    const run = await gql(
      sim,
      `mutation($p: String!) { bulkOperationRunMutation(mutation: "mutation($id: ID!) { tagsAdd(id: $id, tags: [\\"a\\"]) { userErrors { message } } }", stagedUploadPath: $p) { bulkOperation { id } userErrors { code } } }`,
      { p: tooLarge.key },
    );
    expect(run.body.data!.bulkOperationRunMutation.userErrors).toEqual([{ code: "NO_SUCH_FILE" }]);
    await sim.close();
    sim = await smallStore();
    expect((await upload(20 * 1024 * 1024)).status).toBe(201);
    expect((await upload(20 * 1024 * 1024 + 1)).status).toBe(400);
  });
});
