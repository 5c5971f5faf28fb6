# Sourced by the infra scripts that start a private broker and blob store next to whatever else runs here.
# free_port prints a free TCP port below 40000 whose port+20000 is free too (RabbitMQ uses it for clustering).
free_port() {
  python3 - <<'PY'
import random, socket
while True:
    port = random.randint(20000, 39999)
    with socket.socket() as a, socket.socket() as b:
        try:
            a.bind(("127.0.0.1", port)); b.bind(("127.0.0.1", port + 20000))
        except OSError:
            continue
        print(port); break
PY
}
