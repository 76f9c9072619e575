import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { registry } from "@/lib/agents";
import { TOOL_POLICIES, type ToolPolicy } from "@/lib/agent-settings/settings";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ExternalAgent, Prisma } from "@/lib/generated/prisma/client";
import { builder, rows } from "@/lib/store";
import { safeText } from "@/lib/validation/text";
import { createAgentKey } from "./keys";
import { toolName } from "./schemas";
import { parseInput } from "./validate";

// External agents: registered by an admin, recorded with a service user and a conversation of
// their own, so that their actions are runs like any other (lib/external/propose.ts).

/** What an external action's run records as its model provider: the marker of an external run. */
export const EXTERNAL_PROVIDER = "external";

/** The service users of external agents: an address that can never receive mail or sign in. */
const SERVICE_EMAIL_DOMAIN = "external-agents.invalid";

const origin = z
  .string()
  .trim()
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      if (
        (url.protocol === "http:" || url.protocol === "https:") &&
        url.origin === value.replace(/\/$/, "")
      )
        return url.origin;
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: "custom",
      message: `allowedOrigins: "${value}" is not an origin like https://agent.example.com`,
    });
    return z.NEVER;
  });

const mcpUrl = z
  .url({ message: "mcpUrl is an absolute http(s) URL", protocol: /^https?$/ })
  .max(2000)
  .nullable();

/** Settings an admin may change after registration. */
export const externalAgentSettingsSchema = z.object({
  description: safeText()
    .trim()
    .min(3, "description: say in a few words what the agent does")
    .max(500, "description is at most 500 characters"),
  toolPolicies: z
    .record(
      toolName,
      z.enum(TOOL_POLICIES, {
        message: `toolPolicies: each policy is ${TOOL_POLICIES.join(", ")}`,
      }),
    )
    .default({}),
  allowedOrigins: z.array(origin).max(20, "allowedOrigins holds at most 20 origins").default([]),
  confidenceThreshold: z
    .number({ message: "confidenceThreshold is a number" })
    .min(0)
    .max(1)
    .default(0.8),
  approvalTtlSeconds: z
    .number({ message: "approvalTtlSeconds is a number" })
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  maxWaitSeconds: z
    .number({ message: "maxWaitSeconds is a number" })
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(600),
  rateLimitPerMinute: z
    .number({ message: "rateLimitPerMinute is a number" })
    .int()
    .min(1)
    .max(10_000)
    .default(120),
  mcpUrl: mcpUrl.default(null),
  mcpCommand: z.array(z.string().min(1).max(500)).max(50).default([]),
});
export type ExternalAgentSettings = z.infer<typeof externalAgentSettingsSchema>;

export const registerExternalAgentInput = externalAgentSettingsSchema.extend({
  name: z
    .string({ message: "name is required" })
    .trim()
    .regex(
      /^[a-z][a-z0-9-]{1,39}$/,
      "name: 2 to 40 lower-case letters, digits or dashes, starting with a letter",
    ),
});
export type RegisterExternalAgentInput = z.input<typeof registerExternalAgentInput>;

export type ExternalAgentView = Omit<
  ExternalAgent,
  "signingSecret" | "toolPolicies" | "createdAt" | "updatedAt"
> & {
  toolPolicies: Record<string, ToolPolicy>;
  createdAt: string;
  keys: {
    id: string;
    name: string;
    keyPrefix: string;
    createdAt: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
  }[];
};

function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * Registers an external agent. The signing secret is returned once (the agent verifies its
 * webhooks with it); only an admin registering it sees it.
 */
export async function registerExternalAgent(
  actor: Actor,
  raw: RegisterExternalAgentInput | Record<string, unknown>,
  options: { firstKeyName?: string } = {},
): Promise<{ agent: ExternalAgentView; signingSecret: string; key: string | null }> {
  const input = parseInput(registerExternalAgentInput, raw);
  if (registry.find(input.name))
    throw new AppError(
      "conflict",
      `name: "${input.name}" is a built-in agent; choose another name`,
    );
  const signingSecret = newSigningSecret();
  const { id, key } = await db.$transaction(async (tx) => {
    if (await tx.externalAgent.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new AppError("conflict", `name: an external agent "${input.name}" already exists`);
    }
    const user = await tx.user.create({
      // No password can match "!" (not a bcrypt hash) and the account is inactive: it never signs in.
      data: {
        email: `${input.name}@${SERVICE_EMAIL_DOMAIN}`,
        name: `External agent ${input.name}`,
        passwordHash: "!",
        role: "user",
        active: false,
      },
    });
    const conversation = await tx.conversation.create({ data: { userId: user.id } });
    const { name, ...settings } = input;
    const agent = await tx.externalAgent.create({
      data: {
        name,
        ...settings,
        signingSecret,
        userId: user.id,
        conversationId: conversation.id,
        createdByEmail: actor.email,
      },
    });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "external_agent_registered",
      payload: { agent: name, before: null, after: settingsPayload(settings) },
    });
    // The first key commits with the agent, or neither does.
    const first = options.firstKeyName
      ? await createAgentKey(tx, actor, agent, options.firstKeyName)
      : null;
    return { id: agent.id, key: first?.key ?? null };
  });
  return { agent: await externalAgentById(id), signingSecret, key };
}

/** Changes an external agent's settings (policies, origins, limits, upstream MCP server). */
export async function updateExternalAgent(
  actor: Actor,
  name: string,
  raw: z.input<typeof externalAgentSettingsSchema> | Record<string, unknown>,
): Promise<ExternalAgentView> {
  const input = parseInput(externalAgentSettingsSchema, raw);
  const id = await db.$transaction(async (tx) => {
    const [current] = await rows(
      tx,
      builder.selectFrom("external_agents").select("id").where("name", "=", name).forUpdate(),
    );
    if (!current) throw new AppError("not_found", "This external agent does not exist.");
    const before = await tx.externalAgent.findUniqueOrThrow({ where: { id: current.id } });
    await tx.externalAgent.update({ where: { id: current.id }, data: input });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "external_agent_updated",
      payload: { agent: name, before: settingsPayload(before), after: settingsPayload(input) },
    });
    return current.id;
  });
  return externalAgentById(id);
}

function settingsPayload(
  s: ExternalAgentSettings | Omit<ExternalAgent, "signingSecret">,
): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify({
      description: s.description,
      toolPolicies: s.toolPolicies,
      allowedOrigins: s.allowedOrigins,
      confidenceThreshold: s.confidenceThreshold,
      approvalTtlSeconds: s.approvalTtlSeconds,
      maxWaitSeconds: s.maxWaitSeconds,
      rateLimitPerMinute: s.rateLimitPerMinute,
      mcpUrl: s.mcpUrl,
      mcpCommand: s.mcpCommand,
    }),
  ) as Prisma.InputJsonValue;
}

const withKeys = { keys: { orderBy: { createdAt: "desc" } } } satisfies Prisma.ExternalAgentInclude;

function toView(
  agent: Prisma.ExternalAgentGetPayload<{
    include: typeof withKeys;
    omit: { signingSecret: true };
  }>,
): ExternalAgentView {
  const { keys, createdAt, updatedAt: _updatedAt, toolPolicies, ...rest } = agent;
  return {
    ...rest,
    toolPolicies: toolPolicies as Record<string, ToolPolicy>,
    createdAt: createdAt.toISOString(),
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      keyPrefix: k.keyPrefix,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  };
}

async function externalAgentById(id: string): Promise<ExternalAgentView> {
  return toView(await db.externalAgent.findUniqueOrThrow({ where: { id }, include: withKeys }));
}

export async function listExternalAgents(): Promise<ExternalAgentView[]> {
  const agents = await db.externalAgent.findMany({ orderBy: { name: "asc" }, include: withKeys });
  return agents.map(toView);
}

/** One external agent by name, or null (no secret). */
export async function findExternalAgent(name: string): Promise<ExternalAgentView | null> {
  const agent = await db.externalAgent.findUnique({ where: { name }, include: withKeys });
  return agent ? toView(agent) : null;
}

/** The agent's full record with its signing secret, for signing webhooks and deriving grants. */
export async function externalAgentWithSecret(
  agentId: string,
  client: Tx | typeof db = db,
): Promise<ExternalAgent> {
  return client.externalAgent.findUniqueOrThrow({
    where: { id: agentId },
    omit: { signingSecret: false },
  });
}

/** Whether a run records an external action (its model provider says so; see EXTERNAL_PROVIDER). */
export async function isExternalRun(client: Tx | typeof db, runId: string): Promise<boolean> {
  const run = await client.run.findUnique({
    where: { id: runId },
    select: { modelProvider: true },
  });
  return run?.modelProvider === EXTERNAL_PROVIDER;
}
