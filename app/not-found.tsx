import { NotFoundNotice } from "@/components/ui/not-found-notice";

export const metadata = { title: "Not found · Countersign" };

export default function NotFound() {
  return (
    <main className="px-6 py-8">
      <NotFoundNotice />
    </main>
  );
}
