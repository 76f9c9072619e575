import type { Metadata } from "next";
import { connection } from "next/server";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Countersign",
  description: "Human-in-the-loop approvals for AI agents",
};

// Every page renders per request: the CSP nonce (proxy.ts) is new for each response, and Next.js
// can only put it on the scripts of a page it renders now, not one prerendered at build time.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
