import { describe, it } from "vitest";
import { temporaryDirectory } from "../../test/helpers.js";
import { expectOldTurnsDerived, logContract, openAfterOldSchema } from "./__fixtures__/log-contract.js";
import { openSqliteStore } from "./kysely-store.js";

describe("the conversation log and its figures on SQLite", () => {
  logContract(async (now) => {
    const store = openSqliteStore(":memory:", undefined, now);
    await store.ready;
    return store;
  });

  it("derives the outcome of turns stored before outcomes were kept, and counts them", async () => {
    await expectOldTurnsDerived(await openAfterOldSchema({ dialect: "sqlite", path: `${temporaryDirectory()}/old.sqlite` }));
  });
});
