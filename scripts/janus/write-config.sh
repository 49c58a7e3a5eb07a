#!/usr/bin/env bash
# Writes a Janus 1.1 configuration for one Tandem SFU node into DIR: the core with
# HMAC-signed tokens, the WebSocket and HTTP transports on 127.0.0.1, and only the
# VideoRoom plugin (string room and feed ids, an admin key for creating rooms).
#
#   write-config.sh DIR INDEX TOKEN_SECRET ADMIN_KEY [ICE_IFACE]
#
# Node INDEX (0, 1, …) listens on WebSocket 8188+INDEX, HTTP API 8088+INDEX, admin API
# 7088+INDEX, and uses JANUS_RTP_PORTS (default 200) RTP ports from
# 40000+JANUS_RTP_PORTS*INDEX: one per PeerConnection, so a node carrying N browsers
# needs at least N (a town-hall audience node: raise it, see ARCHITECTURE.md).
# ICE_IFACE is the only interface Janus gathers candidates on (Janus never gathers on loopback: tests use a bridge
# device holding 127.0.0.2 inside their own network namespace); without it Janus uses
# every non-loopback interface.
# Override the base ports with JANUS_WS_BASE, JANUS_HTTP_BASE, JANUS_ADMIN_BASE,
# JANUS_RTP_BASE (tests that run several sets of nodes at once).
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 DIR INDEX TOKEN_SECRET ADMIN_KEY [ICE_IFACE]" >&2
  exit 2
fi
dir=$1 index=$2 token_secret=$3 admin_key=$4 iface=${5:-}
ws_port=$(( ${JANUS_WS_BASE:-8188} + index ))
http_port=$(( ${JANUS_HTTP_BASE:-8088} + index ))
admin_port=$(( ${JANUS_ADMIN_BASE:-7088} + index ))
rtp_ports=${JANUS_RTP_PORTS:-200}
rtp_from=$(( ${JANUS_RTP_BASE:-40000} + rtp_ports * index ))
rtp_to=$(( rtp_from + rtp_ports - 1 ))
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
libdir=$(dirname "$(dpkg -L janus 2>/dev/null | grep -m1 '/janus/plugins/libjanus_videoroom.so$' \
  || echo /usr/lib/x86_64-linux-gnu/janus/plugins/libjanus_videoroom.so)")
# Every plugin but VideoRoom is disabled (smaller attack surface, faster start).
disabled=$(cd "$libdir" && ls *.so | grep -v '^libjanus_videoroom.so$' | paste -sd, -)
admin_secret=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')

nat="ignore_mdns = true"
if [ -n "$iface" ]; then
  nat="$nat
	ice_enforce_list = \"$iface\""
fi

cat > "$dir/janus.jcfg" <<CFG
general: {
	configs_folder = "$dir"
	plugins_folder = "$libdir"
	transports_folder = "$(dirname "$libdir")/transports"
	events_folder = "$(dirname "$libdir")/events"
	loggers_folder = "$(dirname "$libdir")/loggers"
	interface = "127.0.0.1"
	admin_secret = "$admin_secret"
	token_auth = true
	token_auth_secret = "$token_secret"
	session_timeout = 60
	server_name = "tandem-sfu-$index"
}
media: {
	ipv6 = false
	rtp_port_range = "$rtp_from-$rtp_to"
}
nat: {
	$nat
}
plugins: {
	disable = "$disabled"
}
transports: {
	disable = "libjanus_nanomsg.so,libjanus_mqtt.so,libjanus_rabbitmq.so,libjanus_pfunix.so"
}
events: {
	broadcast = false
}
loggers: {
	disable = "libjanus_jsonlog.so"
}
CFG

cat > "$dir/janus.transport.websockets.jcfg" <<CFG
general: {
	ws = true
	ws_port = $ws_port
	ws_ip = "127.0.0.1"
	wss = false
}
admin: {
	admin_ws = false
}
CFG

cat > "$dir/janus.transport.http.jcfg" <<CFG
general: {
	http = true
	port = $http_port
	ip = "127.0.0.1"
	https = false
}
admin: {
	admin_http = true
	admin_port = $admin_port
	admin_ip = "127.0.0.1"
	admin_acl = "127."
}
CFG

cat > "$dir/janus.plugin.videoroom.jcfg" <<CFG
general: {
	admin_key = "$admin_key"
	lock_rtp_forward = true
	string_ids = true
}
CFG
echo "$dir"
