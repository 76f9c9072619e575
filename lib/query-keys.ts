// Every TanStack Query key in the app, so invalidation and polling agree on names.
export type InboxKeyFilters = {
  status: string;
  agent: string;
  tool: string;
  reason: string;
  sort: string;
};

export const queryKeys = {
  chat: ["chat"] as const,
  inbox: (filters: InboxKeyFilters, cursor: string | null) =>
    ["inbox", filters, cursor ?? "first"] as const,
  inboxAll: ["inbox"] as const,
  pendingCount: ["pending-count"] as const,
  claim: (approvalId: string) => ["claim", approvalId] as const,
  packet: (approvalId: string) => ["packet", approvalId] as const,
  packetFacts: (approvalId: string) => ["packet-facts", approvalId] as const,
  packetFactsAll: ["packet-facts"] as const,
  notifications: ["notifications"] as const,
  followUpCount: ["follow-up-count"] as const,
};
