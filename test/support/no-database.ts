// The unit tier has no database (CONTRIBUTING.md): a unit test that reaches for one fails at once
// with a message that says where it belongs, rather than waiting on a connection that never comes.
// DATABASE_URL is a well-formed address (so configuration parses) that nothing serves, and a pg
// pool or client, which every database path in this repository opens first, throws when made.
import { vi } from "vitest";

const NO_DATABASE =
  'Unit tests run without a database (vitest project "unit"). This test reached for PostgreSQL: ' +
  "move it under test/integration/ (see CONTRIBUTING.md), or keep the database out of the code it tests.";

process.env.DATABASE_URL =
  "postgresql://unit-tests-have-no-database@127.0.0.1:9/see-contributing-md";
delete process.env.ANTHROPIC_API_KEY;

vi.mock("pg", async (importOriginal) => {
  const original = await importOriginal<typeof import("pg")>();
  class NoDatabase {
    constructor() {
      throw new Error(NO_DATABASE);
    }
  }
  const mocked = { ...original.default, Pool: NoDatabase, Client: NoDatabase };
  return { ...original, default: mocked, Pool: NoDatabase, Client: NoDatabase };
});
