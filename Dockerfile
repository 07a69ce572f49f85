# One image for every role: ROLES picks what a container runs (api, worker, simulator; all three
# when unset, as `npm start` does on a laptop). Sources run through tsx, as in development, so
# there is no separate build step whose output could drift from src/.
FROM node:20-slim

WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, so a source change does not reinstall them. tsx is a runtime dependency;
# dev dependencies (typescript, vitest, supertest, autocannon) are left out of the image.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
# `npm start` first runs scripts/ensure-deps.mjs, which reinstalls when package-lock.json looks newer
# than node_modules; the second COPY may have refreshed its mtime, so mark the install as current.
RUN touch node_modules/.package-lock.json

# Listen on every interface inside the container; use the Redis and PostgreSQL given by the
# environment instead of starting a private redis-server.
ENV HOST=0.0.0.0 \
    PORT=3000 \
    SIMULATOR_PORT=2775 \
    START_PRIVATE_REDIS=never

EXPOSE 3000 2775
CMD ["npm", "start"]
