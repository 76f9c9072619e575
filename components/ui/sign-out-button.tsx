"use client";

import { signOut } from "next-auth/react";
import { Button } from "./button";

export function SignOutButton() {
  return (
    <Button
      variant="link"
      size="inline"
      onClick={() => signOut({ callbackUrl: "/signin" })}
      className="text-slate-600 no-underline underline-offset-2 hover:underline"
    >
      Sign out
    </Button>
  );
}
