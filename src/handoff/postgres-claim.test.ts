import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import { missingServices, type PostgresServer, startPostgres } from "../../test/services.js";
import { openStore } from "../store/kysely-store.js";
import { DeliveryRegistry } from "./delivery.js";
import { HandoffService } from "./handoff-service.js";

const missing = missingServices();

describe.skipIf(!!missing)("hand-offs on PostgreSQL shared by two instances", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.destroy());

  it("a hand-off claimed on one instance is not claimed on the other; a reply waiting for a channel is sent once", async () => {
    const url = await server.createDatabase();
    const [one, two] = await Promise.all([openStore({ dialect: "postgres", url }), openStore({ dialect: "postgres", url })]);
    const knowledgeBase = await seedKnowledgeBase();
    const sent: string[] = [];
    const registries = [new DeliveryRegistry(), new DeliveryRegistry()];
    for (const registry of registries)
      registry.register("wechaty", async (_, text) => {
        sent.push(text);
        return { ok: true };
      });
    const first = new HandoffService({ store: one, knowledgeBase: () => knowledgeBase, registry: registries[0] });
    const second = new HandoffService({ store: two, knowledgeBase: () => knowledgeBase, registry: registries[1] });
    try {
      const handoffs = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          first.create({
            channel: "wechaty",
            conversationId: `c${i}`,
            replyAddress: { userId: `wxid_${i}`, address: `wxid_${i}` },
            question: "歇业能保留多久",
            history: [],
          }),
        ),
      );
      for (const { handoff } of handoffs) {
        const claims = await Promise.all([first.claim(handoff.id, "zhang"), second.claim(handoff.id, "li")]);
        expect(claims.filter((claim) => claim.ok)).toHaveLength(1);
        const loser = claims.find((claim) => !claim.ok);
        expect(loser).toMatchObject({ reason: "taken" });
        const winner = claims.find((claim) => claim.ok)!;
        expect((await second.get(handoff.id))?.handoff.claimedBy).toBe((winner as { handoff: { claimedBy: string } }).handoff.claimedBy);
      }
      // A reply stored by one instance with no deliverer of its own, then both delivery loops at once: sent once.
      const bare = new HandoffService({ store: one, knowledgeBase: () => knowledgeBase, registry: new DeliveryRegistry() });
      expect(await bare.reply(handoffs[0].handoff.id, "答复", "zhang")).toMatchObject({ outcome: { delivery: "pending" } });
      const counts = await Promise.all([first.deliverPending(), second.deliverPending()]);
      expect(counts[0] + counts[1]).toBe(1);
      expect(sent).toEqual(["【人工回复】答复"]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
