#!/usr/bin/env bash
# Builds the benchmarks and runs the lifecycle benchmark (Cortex, Quartz, JobRunr, bare executor)
# with settings sized for a 2-core machine (20 s of warm-up per benchmark: the JVM's heap takes
# about 6 s to grow to its steady size), then the retained-job memory probe and the CPU-time-per-job
# probe (the figure to compare when other processes share the cores).
#
#   benchmarks/run.sh                      # everything (about 18 minutes on 2 cores)
#   benchmarks/run.sh 'cortex_' -prof gc   # extra JMH arguments: a regex narrows the benchmarks
#
# The full JMH log goes to benchmarks/target/lifecycle.log; the summary table is printed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
log="$here/target/lifecycle.log"

cd "$root"
mvn -B -q -pl benchmarks -am package -DskipTests

filter='io.cortex.benchmarks.LifecycleBenchmark'
if [[ $# -gt 0 && "$1" != -* ]]; then
  filter="io.cortex.benchmarks.LifecycleBenchmark.*$1"
  shift
fi

echo "java -jar benchmarks/target/benchmarks.jar '$filter' -f 1 -wi 5 -w 4s -i 5 -r 3s $*"
java -jar "$jar" "$filter" -f 1 -wi 5 -w 4s -i 5 -r 3s "$@" > "$log" 2>&1 || {
  tail -40 "$log"
  exit 1
}
sed -n '/^Benchmark /,$p' "$log"

echo
echo "java -Xmx4g -cp benchmarks/target/benchmarks.jar io.cortex.benchmarks.RetainedJobMemory"
java -Xmx4g -cp "$jar" io.cortex.benchmarks.RetainedJobMemory

echo
echo "java -cp benchmarks/target/benchmarks.jar io.cortex.benchmarks.CpuPerJob"
java -cp "$jar" io.cortex.benchmarks.CpuPerJob
