# Muster: a multi-stage build. The first stage builds the pages and the host; the
# second carries only production dependencies and the build output, and runs as a
# non-root user.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build ./build
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data /app/files && chown -R node:node /app/data /app/files
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A 32 MB young generation (Node's default is 16 MB): a thread page makes short-lived strings
# of its whole HTML, and collecting them half as often served 15-25% more thread pages a second
# (bench/RESULTS.md, issue 22).
CMD ["node", "--max-semi-space-size=32", "dist/server/main.js"]
