import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createTurns, takeTurns } from "./index.js";

/** Counts turns of the event loop: an immediate queued from an immediate runs on the next turn. */
function loopTurns() {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get now() {
      return turn;
    },
    stop: () => {
      running = false;
    },
  };
}

describe("createTurns", () => {
  it("gives turns first come, first served, newcomers behind those already waiting", async () => {
    const turns = createTurns();
    const order: number[] = [];
    let late: Promise<void> | undefined;
    const first = Array.from({ length: 50 }, (_, i) =>
      turns.take().then(() => {
        order.push(i);
        // A request that arrives while the first ones are answered queues behind every earlier one.
        if (i === 0) late = turns.take().then(() => void order.push(50));
      }),
    );
    await Promise.all(first);
    await late;
    expect(order).toEqual(Array.from({ length: 51 }, (_, i) => i));
    expect(turns.waiting).toBe(0);
  });

  it("starts no more work in one turn of the event loop than its budget, and lets the loop turn in between", async () => {
    let clock = 0;
    const turns = createTurns({ budgetMs: 10, now: () => clock });
    const loop = loopTurns();
    const turnOf = await Promise.all(
      Array.from({ length: 12 }, () =>
        turns.take().then(() => {
          clock += 4; // each answer takes 4 ms
          return loop.now;
        }),
      ),
    );
    loop.stop();
    const perTurn = new Map<number, number>();
    for (const turn of turnOf) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    // 0, 4 and 8 ms are within the budget; the fourth waits for the next turn.
    expect([...perTurn.values()]).toEqual([3, 3, 3, 3]);
  });
});

describe("takeTurns", () => {
  it("runs the route once its turn comes", async () => {
    const app = new Hono();
    app.use("*", takeTurns(createTurns()));
    app.get("/", (c) => c.text("ok"));
    expect(await (await app.request("/")).text()).toBe("ok");
  });
});
