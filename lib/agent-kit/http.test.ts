import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError } from "./errors";
import { fetchJson, parseRetryAfter, toolErrorForFetchFailure, toolErrorForStatus } from "./http";

describe("toolErrorForStatus", () => {
  it.each([
    [429, "rate_limited"],
    [404, "not_found"],
    [410, "not_found"],
    [400, "invalid_arguments"],
    [422, "invalid_arguments"],
    [401, "forbidden"],
    [403, "forbidden"],
    [409, "conflict"],
    [408, "timeout"],
    [500, "upstream_error"],
    [502, "upstream_error"],
    [503, "upstream_error"],
    [504, "upstream_error"],
    [302, "upstream_error"],
  ] as const)("HTTP %i is %s", (status, kind) => {
    expect(toolErrorForStatus(status).kind).toBe(kind);
  });

  it("carries retry-after on a 429, in seconds or as a date, and the server's own message", () => {
    expect(toolErrorForStatus(429, { retryAfter: "3" }).retryAfterMs).toBe(3000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(
      toolErrorForStatus(429, { retryAfter: "Thu, 01 Jan 2026 00:00:05 GMT", now }).retryAfterMs,
    ).toBe(5000);
    expect(toolErrorForStatus(429).retryAfterMs).toBeUndefined();
    expect(toolErrorForStatus(422, { detail: "date must be in the future" }).message).toBe(
      "Invalid request (HTTP 422): date must be in the future",
    );
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates, never a negative wait, and ignores garbage", () => {
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter(" 120 ")).toBe(120_000);
    expect(
      parseRetryAfter("Thu, 01 Jan 2026 00:00:00 GMT", Date.parse("2026-01-01T00:00:10Z")),
    ).toBe(0);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("-5")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("toolErrorForFetchFailure", () => {
  it("is the abort reason when the runtime aborted with a ToolError, a timeout for any other abort, else a network error", () => {
    const deadline = new AbortController();
    const reason = new ToolError("timeout", "The tool did not answer within 5s");
    deadline.abort(reason);
    expect(toolErrorForFetchFailure(new Error("aborted"), deadline.signal)).toBe(reason);
    expect(
      toolErrorForFetchFailure(new DOMException("The operation was aborted.", "AbortError")).kind,
    ).toBe("timeout");
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: { code: "ECONNREFUSED" },
    });
    const network = toolErrorForFetchFailure(refused);
    expect(network.kind).toBe("upstream_error");
    expect(network.message).toContain("ECONNREFUSED");
  });
});

describe("fetchJson against a loopback server", () => {
  let server: Server;
  let base: string;
  const closed: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const send = (status: number, body: string, headers: Record<string, string> = {}) =>
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
      if (req.url === "/ok") return send(200, JSON.stringify({ id: "x1" }));
      if (req.url === "/busy")
        return send(429, JSON.stringify({ error: "slow down" }), { "retry-after": "2" });
      if (req.url === "/html-500")
        return send(500, "<html>oops</html>", { "content-type": "text/html" });
      if (req.url === "/wrong-shape") return send(200, JSON.stringify({ id: 7 }));
      if (req.url === "/stall") {
        // Never answers; records that the client went away.
        req.on("close", () => closed.push(req.url!));
        return;
      }
      send(404, JSON.stringify({ message: "no such thing" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const shape = z.object({ id: z.string() });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected a failure");
      },
      (e: unknown) => e as ToolError,
    );
  const signal = () => new AbortController().signal;

  it("parses a 2xx body with the schema", async () => {
    expect(await fetchJson(`${base}/ok`, { signal: signal() }, shape)).toEqual({ id: "x1" });
  });

  it("types every failure", async () => {
    const busy = await failureOf(fetchJson(`${base}/busy`, { signal: signal() }, shape));
    expect([busy.kind, busy.retryAfterMs, busy.message]).toEqual([
      "rate_limited",
      2000,
      "Rate limited (HTTP 429): slow down",
    ]);
    expect(
      (await failureOf(fetchJson(`${base}/missing`, { signal: signal() }, shape))).message,
    ).toBe("Not found (HTTP 404): no such thing");
    expect((await failureOf(fetchJson(`${base}/html-500`, { signal: signal() }, shape))).kind).toBe(
      "upstream_error",
    );
    expect(
      (await failureOf(fetchJson(`${base}/wrong-shape`, { signal: signal() }, shape))).message,
    ).toMatch(/unexpected shape/);
    const closedServer = createServer();
    await new Promise<void>((resolve) => closedServer.listen(0, "127.0.0.1", resolve));
    const { port } = closedServer.address() as AddressInfo;
    await new Promise<void>((resolve) => closedServer.close(() => resolve()));
    expect(
      (await failureOf(fetchJson(`http://127.0.0.1:${port}/`, { signal: signal() }, shape))).kind,
    ).toBe("upstream_error");
  });

  it("aborts a stalled request through the signal: a timeout for us, a closed connection for the server", async () => {
    const controller = new AbortController();
    const reason = new ToolError("timeout", "deadline");
    setTimeout(() => controller.abort(reason), 100);
    expect(await failureOf(fetchJson(`${base}/stall`, { signal: controller.signal }, shape))).toBe(
      reason,
    );
    await expect.poll(() => closed).toContain("/stall");
  });
});
