# syntax=docker/dockerfile:1
# Production image (docs/deploy.md, ADR 034). Three stages:
#   build    the full install, the Prisma client generated, `npm run build`,
#            then `npm prune --omit=dev`: the pruned install the runtime copies;
#   migrate  the full install with Prisma's CLI: `prisma migrate deploy` with
#            Prisma's own schema engine, downloaded at image build time (run it
#            once per release, before the new web and worker processes start);
#   runtime  (default) exactly the pruned install and the build, as a non-root
#            user. `docker run IMAGE` serves the web app; the worker is the same
#            image with `npm run start:worker`.
ARG NODE_VERSION=22.12

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY extensions/segment-discount/package.json extensions/segment-discount/package.json
COPY scripts/postinstall.sh scripts/prisma.sh scripts/
COPY prisma ./prisma
COPY prisma.config.ts ./
# The install scripts run later, with the whole tree (the schema for `prisma generate`).
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY . .
RUN node_modules/.bin/prisma generate \
 && npm run build \
 && npm prune --omit=dev --workspaces=false --no-audit --no-fund

FROM deps AS migrate
# Prisma's native schema engine is fetched from binaries.prisma.sh here (this
# stage needs internet); the offline wasm stand-in (scripts/prisma.sh) is a
# development and CI tool (ADR 003, ADR 034).
ENV CHECKPOINT_DISABLE=1
RUN node_modules/.bin/prisma --version
CMD ["node_modules/.bin/prisma", "migrate", "deploy"]

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./build
COPY --from=build --chown=node:node /app/server ./server
USER node
EXPOSE 3000
CMD ["npm", "start"]
