# The dma-audit image for the distributed examples (examples/kubernetes/): node:22-slim + npm ci.
#   docker build -t dma-audit .   then   docker run --rm dma-audit run --scenario compliant --quick
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY suites ./suites
COPY schemas ./schemas
COPY fixtures ./fixtures
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:22-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
RUN ln -s /app/bin/dma-audit.js /usr/local/bin/dma-audit
USER node
ENTRYPOINT ["dma-audit"]
CMD ["--help"]
