# The Crossfire CLI as an image: `docker run --rm -v "$PWD:/work" crossfire test scenarios/`.
# Built from this repository: the first stage packs the package (compiled CLI and prebuilt app),
# the second installs only that tarball on node:20-slim.
FROM node:20-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npm pack && mv crossfire-*.tgz crossfire.tgz

FROM node:20-slim
WORKDIR /opt/crossfire
COPY --from=build /src/crossfire.tgz ./
RUN npm install --global --no-audit --no-fund ./crossfire.tgz && rm crossfire.tgz
WORKDIR /work
ENTRYPOINT ["crossfire"]
CMD ["--help"]
