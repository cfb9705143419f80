# syntax=docker/dockerfile:1
# messenger-server in a container (docs/hosting.md, "Docker"):
#   docker build -t lan-messenger-server .
#   docker run -d -p 7450:7450 -v messenger-data:/data lan-messenger-server

# Build: bundle the server (esbuild) with Node 22. No install scripts are
# needed for that, so no Electron or browser download happens.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig*.json ./
COPY server ./server
COPY src/shared ./src/shared
COPY src/node ./src/node
RUN npm run build:server

# Run: the bundle and the runtime dependencies on a slim Node 22, as the
# image's unprivileged user "node".
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    MESSENGER_DATA_DIR=/data \
    MESSENGER_HOST=0.0.0.0 \
    MESSENGER_PORT=7450 \
    MESSENGER_DISCOVERY=0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY bin/messenger-server.js ./bin/
COPY build/docker/healthcheck.mjs ./build/docker/
COPY --from=build /app/out/server ./out/server
# Named volumes start with the owner of these directories.
RUN mkdir -p /data /files && chown node:node /data /files
USER node
VOLUME /data
EXPOSE 7450
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "build/docker/healthcheck.mjs"]
# SIGTERM (docker stop) makes the server close cleanly; give it the time to.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/messenger-server.js"]
