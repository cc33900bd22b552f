# syntax=docker/dockerfile:1
# The server as an image: `docker build -t scim-server .`, then
# `docker run -p 8080:8080 -v scim-data:/app/data scim-server` (SQLite in the volume), or
# `docker compose up` for PostgreSQL (compose.yaml). Settings are the environment variables of
# .env.example. test/deploy/dockerfile.test.ts runs this file's build and start commands.

# Build: dependencies from the lock file, the better-sqlite3 addon (a prebuilt binary when one
# matches, else compiled), the Prisma clients, the bundles; then only the runtime dependencies.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3 && npm run db:generate
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Run: plain node as PID 1, as the unprivileged `node` user (uid 1000); node receives SIGTERM
# itself and stops cleanly (finishes requests in flight, closes the database, exits 0).
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dist ./dist
RUN mkdir -p data && chown 1000:1000 data
USER node
VOLUME /app/data
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 8080}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
