import { ChatThread } from "@/components/chat/chat-thread";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { chatView } from "@/lib/chat/service";

export const metadata = { title: "Chat · Countersign" };

export default async function ChatPage() {
  const { actor, refused } = await pageActor("chat", "/chat");
  if (refused) return <Refusal actor={actor} surface="customer chat" />;
  const initial = await chatView(actor);
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-xl font-semibold">Shop assistant</h1>
      <p className="text-sm text-slate-600">Ask about your orders, refunds or account. Anything irreversible is confirmed by our team first.</p>
      <ChatThread initial={initial} />
    </div>
  );
}
