// Every TanStack Query key in the app, so invalidation and polling agree on names.
export const queryKeys = {
  chat: ["chat"] as const,
  inbox: (cursor?: string) => ["inbox", cursor ?? "first"] as const,
  inboxAll: ["inbox"] as const,
};
