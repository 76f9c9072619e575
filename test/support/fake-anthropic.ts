// The loopback Messages API moved to the agent kit's testing module, so agent authors use it too.
export * from "@/lib/agent-kit/testing/messages-api";
