import { ChatThread } from "@/components/chat/chat-thread";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { deskCopy } from "@/lib/chat/desk";
import { chatView } from "@/lib/chat/service";

export const metadata = { title: "Chat · Countersign" };

export default async function ChatPage() {
  const { actor, refused } = await pageActor("chat", "/chat");
  if (refused) return <Refusal actor={actor} surface="customer chat" />;
  const initial = await chatView(actor);
  const desk = deskCopy();
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-xl font-semibold">{desk.title}</h1>
      <p className="text-sm text-slate-600">{desk.intro}</p>
      <ChatThread initial={initial} examples={desk.examples} />
    </div>
  );
}
