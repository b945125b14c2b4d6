#!/usr/bin/env bash
# A real Spark standalone cluster on this machine: one Master and WORKERS Workers, each a
# separate JVM, each Worker launching its own executor JVMs, all on 127.0.0.1. No Spark
# distribution is needed: `mvn package` in spark/ copies Spark's jars into
# spark/target/spark-home/jars, which is all a SPARK_HOME must hold for this.
#
#   local-cluster.sh start           start the Master and the Workers; prints the master URL
#   local-cluster.sh submit ARGS...  spark-submit to that master, e.g.
#       local-cluster.sh submit spark/target/sam-spark.jar --input DIR --output DIR
#   local-cluster.sh status          the master URL and which processes are alive
#   local-cluster.sh stop            stop every process started here (executors included)
#
# Settings from the environment (defaults in brackets):
#   SPARK_HOME [spark/target/spark-home]   CLUSTER_DIR [spark/target/local-cluster]: pids, logs,
#   work folders   MASTER_PORT [7077]   MASTER_UI_PORT [8080]   WORKER_UI_PORT [8081; worker i
#   gets +i-1, Spark moves on if taken]   WORKERS [2]   WORKER_CORES [1]   WORKER_MEMORY [2g]
#   DAEMON_MEMORY [512m]: heap of the Master and of each Worker (executors: spark.executor.memory)
set -euo pipefail

module=$(cd "$(dirname "$0")/.." && pwd)
export SPARK_HOME=${SPARK_HOME:-$module/target/spark-home}
CLUSTER_DIR=${CLUSTER_DIR:-$module/target/local-cluster}
MASTER_PORT=${MASTER_PORT:-7077}
MASTER_UI_PORT=${MASTER_UI_PORT:-8080}
WORKER_UI_PORT=${WORKER_UI_PORT:-8081}
WORKERS=${WORKERS:-2}
WORKER_CORES=${WORKER_CORES:-1}
WORKER_MEMORY=${WORKER_MEMORY:-2g}
DAEMON_MEMORY=${DAEMON_MEMORY:-512m}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# What a Worker needs to launch executors without a distribution: SPARK_HOME/jars (the
# executors' classpath), SPARK_SCALA_VERSION (else Spark's launcher looks for a source build),
# and the loopback address, which executors inherit from the Worker's environment.
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_CONF_DIR=$CLUSTER_DIR/conf

# What Spark 3.5 opens on Java 17 (org.apache.spark.launcher.JavaModuleOptions), for the JVMs
# started here; executors get it from the driver (spark.executor.extraJavaOptions).
JAVA_MODULE_OPTIONS=(-XX:+IgnoreUnrecognizedVMOptions
	--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
	--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
	--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
	--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
	--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
	--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
	--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
	--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)
CLASSPATH_SPARK="$SPARK_CONF_DIR:$SPARK_HOME/jars/*"

die() {
	echo "local-cluster: $*" >&2
	exit 1
}

alive() {
	[ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# The process and all its descendants (a Worker's executors), deepest first.
tree() {
	local child
	for child in $(pgrep -P "$1" 2>/dev/null || true); do
		tree "$child"
	done
	echo "$1"
}

# Starts a JVM in the background with its own log and pid file; it outlives this script.
launch() {
	local name=$1
	shift
	nohup "$JAVA" "${JAVA_MODULE_OPTIONS[@]}" -Xmx"$DAEMON_MEMORY" -cp "$CLASSPATH_SPARK" "$@" \
		</dev/null >"$CLUSTER_DIR/$name.log" 2>&1 &
	echo $! >"$CLUSTER_DIR/$name.pid"
}

# Waits until a command succeeds, while the process of the pid file lives; 60 s at most.
await() {
	local what=$1 pidfile=$2
	shift 2
	for _ in $(seq 1 120); do
		if "$@"; then return 0; fi
		alive "$pidfile" || { tail -n 30 "${pidfile%.pid}.log" >&2; stop; die "$what ended before it was ready (log above)"; }
		sleep 0.5
	done
	tail -n 30 "${pidfile%.pid}.log" >&2
	stop
	die "$what was not ready after 60 s (log above)"
}

port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
	[ -d "$SPARK_HOME/jars" ] || die "no Spark jars in $SPARK_HOME/jars: build them with 'mvn -B package' in $module (or set SPARK_HOME)"
	alive "$CLUSTER_DIR/master.pid" && die "a cluster is already running from $CLUSTER_DIR (local-cluster.sh stop first)"
	port_open "$MASTER_PORT" && die "port $MASTER_PORT is taken; set MASTER_PORT to a free one"
	mkdir -p "$CLUSTER_DIR" "$SPARK_CONF_DIR"
	# The daemons' registration lines are what start waits for; the rest of Spark from warnings up.
	cat >"$SPARK_CONF_DIR/log4j2.properties" <<-'EOF'
		rootLogger.level = warn
		rootLogger.appenderRef.stderr.ref = console
		appender.console.type = Console
		appender.console.name = console
		appender.console.target = SYSTEM_ERR
		appender.console.layout.type = PatternLayout
		appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
		logger.master.name = org.apache.spark.deploy.master
		logger.master.level = info
		logger.worker.name = org.apache.spark.deploy.worker
		logger.worker.level = info
		logger.nativecode.name = org.apache.hadoop.util.NativeCodeLoader
		logger.nativecode.level = error
	EOF
	local url="spark://127.0.0.1:$MASTER_PORT"
	launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" \
		--webui-port "$MASTER_UI_PORT"
	await "the Master" "$CLUSTER_DIR/master.pid" port_open "$MASTER_PORT"
	echo "$url" >"$CLUSTER_DIR/master.url"
	local i
	for i in $(seq 1 "$WORKERS"); do
		mkdir -p "$CLUSTER_DIR/worker-$i"
		launch "worker-$i" org.apache.spark.deploy.worker.Worker "$url" --host 127.0.0.1 \
			--cores "$WORKER_CORES" --memory "$WORKER_MEMORY" --work-dir "$CLUSTER_DIR/worker-$i" \
			--webui-port $((WORKER_UI_PORT + i - 1))
	done
	for i in $(seq 1 "$WORKERS"); do
		await "worker $i" "$CLUSTER_DIR/worker-$i.pid" grep -q "Successfully registered with master" \
			"$CLUSTER_DIR/worker-$i.log"
	done
	echo "$url"
}

stop() {
	local pidfile pids=()
	for pidfile in "$CLUSTER_DIR"/worker-*.pid "$CLUSTER_DIR"/master.pid; do
		[ -f "$pidfile" ] || continue
		alive "$pidfile" && pids+=($(tree "$(cat "$pidfile")"))
		rm -f "$pidfile"
	done
	rm -f "$CLUSTER_DIR/master.url"
	[ ${#pids[@]} -eq 0 ] && return 0
	kill -TERM "${pids[@]}" 2>/dev/null || true
	for _ in $(seq 1 40); do
		kill -0 "${pids[@]}" 2>/dev/null || return 0
		sleep 0.25
	done
	kill -KILL "${pids[@]}" 2>/dev/null || true
}

submit() {
	[ -f "$CLUSTER_DIR/master.url" ] && alive "$CLUSTER_DIR/master.pid" ||
		die "no cluster is running from $CLUSTER_DIR (local-cluster.sh start first)"
	# What bin/spark-submit runs; the driver stays on this machine (client mode).
	exec "$JAVA" "${JAVA_MODULE_OPTIONS[@]}" -cp "$CLASSPATH_SPARK" org.apache.spark.deploy.SparkSubmit \
		--master "$(cat "$CLUSTER_DIR/master.url")" --conf spark.driver.host=127.0.0.1 "$@"
}

status() {
	[ -f "$CLUSTER_DIR/master.url" ] && echo "master: $(cat "$CLUSTER_DIR/master.url")"
	local pidfile
	for pidfile in "$CLUSTER_DIR"/*.pid; do
		[ -f "$pidfile" ] || continue
		if alive "$pidfile"; then echo "$(basename "$pidfile" .pid): running, pid $(cat "$pidfile")"
		else echo "$(basename "$pidfile" .pid): not running"; fi
	done
}

case "${1:-}" in
	start) start ;;
	stop) stop ;;
	status) status ;;
	submit) shift; submit "$@" ;;
	*) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
