# syntax=docker/dockerfile:1
# kbench image: the distribution (dist/), whose bin/kbench runs every command on its own class path.
#   docker build -t kbench .
#   docker run --rm kbench worker --bootstrap-server kafka:9092 --worker-id w1 --metrics-port 9404
#   docker run --rm kbench aggregator --bootstrap-server kafka:9092 --metrics-port 9404
# docker-compose.yml runs a whole fleet with it; KBENCH_JAVA_OPTS adds JVM options (e.g. -Xmx1g).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# Tests need brokers and forked JVMs: they run in CI (mvn -B verify), not in the image build. The image holds what
# a release holds: the tarball, unpacked.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dspotless.check.skip=true package \
    && mkdir -p /out \
    && tar xzf dist/target/kbench-*.tar.gz -C /out \
    && mv /out/kbench-* /out/kbench

FROM eclipse-temurin:17-jre
COPY --from=build /out/kbench/ /opt/kbench/
# Relative paths (workloads, payload files, results/) resolve against the working directory, as with ./kbench.
WORKDIR /opt/kbench
# Prometheus /metrics (and /health) of the aggregator or worker daemon, when started with --metrics-port 9404.
# docker-compose.yml's health checks probe /health with bash's /dev/tcp: this base image has bash, no HTTP client
# needs adding.
EXPOSE 9404
ENV KBENCH_JAVA_OPTS=""
# bin/kbench execs java: the JVM gets SIGTERM and a worker daemon stops its agents cleanly. A daemon starts its
# agents on lib/agent alone, with this image's java.
ENTRYPOINT ["/opt/kbench/bin/kbench"]
CMD ["--help"]
