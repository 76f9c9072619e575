// The TanStack Query key of the in-app notifications (browser and server agree on it).
export const notificationsQueryKey = ["notifications"] as const;
