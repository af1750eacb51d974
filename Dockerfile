# syntax=docker/dockerfile:1
# The control center: Next.js standalone output (NEXT_OUTPUT=standalone, see next.config.ts), non-root, read-only-root-fs
# friendly (writes only to CONTROL_CENTER_DATA_DIR, /tmp and .next/cache, which the Deployment mounts as volumes).
#   docker build -t localhost:5001/control-center:0.1.0 .
# Base: node:24.21.0-bookworm-slim (Node 24 LTS) by its multi-arch index digest, the same as webapp/ and loadgen/.

# ---- deps: all dependencies; better-sqlite3 falls back to compiling from source when no prebuilt binary fits ----
FROM node:24.21.0-bookworm-slim@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6 AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The lab is an npm workspace of the repository: npm ci reads its package.json (its code is not in the context).
COPY lab/package.json ./lab/
RUN npm ci --no-audit --no-fund

# ---- build: next build -> .next/standalone (server.js + traced node_modules) and .next/static ----
FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1 \
    NEXT_OUTPUT=standalone
COPY . .
RUN npm run build

# ---- runtime: only the standalone server, as an unprivileged user ----
FROM node:24.21.0-bookworm-slim@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6 AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3300 \
    HOSTNAME=0.0.0.0 \
    CONTROL_CENTER_DATA_DIR=/data \
    NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=2"
WORKDIR /app
RUN groupadd --system --gid 1001 nextjs \
  && useradd --system --uid 1001 --gid nextjs --no-create-home --shell /usr/sbin/nologin nextjs \
  && mkdir -p /data /app/.next/cache \
  && chown 1001:1001 /data /app/.next/cache
COPY --from=build --chown=1001:1001 /app/.next/standalone ./
COPY --from=build --chown=1001:1001 /app/.next/static ./.next/static
USER 1001:1001
EXPOSE 3300
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3300)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
