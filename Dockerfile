# syntax=docker/dockerfile:1
# Node 24 is the current LTS line; package.json's engines and every dependency's accept it.
# Build stage: full dependencies, compile TypeScript, then drop dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY bench ./bench
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Runtime stage: compiled code and production dependencies only, run as the unprivileged node user.
FROM node:24-bookworm-slim AS runtime
# A bounded old generation: under load V8 otherwise lets the heap (and RSS) grow far past what is live.
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 NODE_OPTIONS=--max-old-space-size=128
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
# The build's own layout (dist/src beside dist/migrations), which package.json's scripts expect:
# `npm run cli -- ...` and `npm run migration:show|run|revert` work in the container as they do outside.
COPY --from=build --chown=node:node /app/dist/src ./dist/src
COPY --from=build --chown=node:node /app/dist/migrations ./dist/migrations
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
