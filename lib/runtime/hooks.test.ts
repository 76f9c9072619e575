import { afterEach, describe, expect, it } from "vitest";
import { runtimeHooks, wireRuntime, wireRuntimeOnFirstUse, type RuntimeHooks } from "./hooks";

const globals = globalThis as {
  countersignRuntimeHooks?: unknown;
  countersignLoadFeatures?: unknown;
};

const hooks: RuntimeHooks = {
  scratchSession: async () => null,
  onRouted: [],
  afterRouted: [],
  beforeStep: [],
  afterModelCall: [],
  onExecute: [],
  onPark: [],
  onEnd: [],
};

afterEach(() => {
  delete globals.countersignRuntimeHooks;
  delete globals.countersignLoadFeatures;
});

describe("runtime hooks", () => {
  it("refuses to hand out hooks nobody wired, naming the wiring file", async () => {
    await expect(runtimeHooks()).rejects.toThrow(/lib\/features\.ts/);
  });

  it("hands out what was wired", async () => {
    wireRuntime(hooks);
    expect(await runtimeHooks()).toBe(hooks);
  });

  it("loads the wiring on first use when a process deferred it, once", async () => {
    let loads = 0;
    wireRuntimeOnFirstUse(async () => {
      loads++;
      wireRuntime(hooks);
    });
    expect(await runtimeHooks()).toBe(hooks);
    expect(await runtimeHooks()).toBe(hooks);
    expect(loads).toBe(1);
  });

  it("still fails loudly when the deferred loading wires nothing", async () => {
    wireRuntimeOnFirstUse(async () => {});
    await expect(runtimeHooks()).rejects.toThrow(/not wired/);
  });
});
