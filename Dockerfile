# syntax=docker/dockerfile:1
# kbench image: the kbench CLI, worker daemon and aggregator on one class path.
#   docker build -t kbench .
#   docker run --rm kbench worker --bootstrap-server kafka:9092 --worker-id w1 --metrics-port 9404
#   docker run --rm kbench aggregator --bootstrap-server kafka:9092 --metrics-port 9404
# docker-compose.yml runs a whole fleet with it; KBENCH_JAVA_OPTS adds JVM options (e.g. -Xmx1g).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# Tests need brokers and forked JVMs: they run in CI (mvn -B verify), not in the image build. The runtime class
# path is the controller jar plus its runtime dependencies, sibling modules' jars taken from this reactor.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dspotless.check.skip=true package dependency:copy-dependencies -DincludeScope=runtime \
    && mkdir -p /out/lib \
    && cp controller/target/dependency/*.jar /out/lib/ \
    && cp controller/target/kbench-controller-*.jar /out/lib/

FROM eclipse-temurin:17-jre
WORKDIR /opt/kbench
COPY --from=build /out/lib/ /opt/kbench/lib/
# Relative paths in workloads (payload files) resolve against the working directory, as with ./kbench.
COPY workloads/ workloads/
COPY configs/ configs/
COPY payload/ payload/
# Prometheus /metrics of the aggregator or worker daemon, when started with --metrics-port 9404.
EXPOSE 9404
ENV KBENCH_JAVA_OPTS=""
# The worker daemon starts agents from this JVM's java.home and class path (the launcher expands lib/* into
# java.class.path), so agents run the same jars. exec: the JVM gets SIGTERM and stops its agents cleanly.
ENTRYPOINT ["sh", "-c", "exec java $KBENCH_JAVA_OPTS -cp '/opt/kbench/lib/*' io.kbench.controller.command.KbenchMain \"$@\"", "kbench"]
CMD ["--help"]
