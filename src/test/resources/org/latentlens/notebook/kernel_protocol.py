# Drives the LatentLens kernel over the Jupyter protocol (jupyter_client, Debian's python3): completion,
# inspection, is_complete, an interrupt of a runaway cell (interrupt_mode "message"), and that state survives it.
# Prints one "OK <check>" line per check; exits 1 with a message on the first failure.
import os
import sys
import time

from jupyter_client import KernelManager


def fail(msg):
    print("FAIL " + msg, flush=True)
    sys.exit(1)


km = KernelManager(kernel_name="latentlens")
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=60)
    r = kc.execute_interactive("int kept = 41;", timeout=120, output_hook=lambda m: None)
    if r["content"]["status"] != "ok":
        fail(f"first cell: {r['content']}")

    reply = kc.complete("Syst", 4, reply=True, timeout=30)["content"]
    if "System" not in reply["matches"]:
        fail(f"completion of 'Syst': {reply['matches'][:10]}")
    print("OK completion", flush=True)

    reply = kc.complete("%ma", 3, reply=True, timeout=30)["content"]
    if "%maven" not in reply["matches"]:
        fail(f"magic completion of '%ma': {reply['matches']}")
    print("OK magic completion", flush=True)

    kc.is_complete("for (int i = 0; i < 3; i++) {")
    reply = kc.get_shell_msg(timeout=30)["content"]
    if reply["status"] != "incomplete":
        fail(f"is_complete of an open loop: {reply}")
    print("OK is_complete", flush=True)

    reply = kc.inspect("Math.max", 8, reply=True, timeout=30)["content"]
    if not reply.get("found") or "max" not in reply["data"].get("text/plain", ""):
        fail(f"inspect Math.max: {reply}")
    print("OK inspect", flush=True)

    msg_id = kc.execute("long n = 0;\nwhile (true) { n++; }")
    time.sleep(3)
    km.interrupt_kernel()
    deadline = time.time() + 60
    reply = None
    while time.time() < deadline:
        m = kc.get_shell_msg(timeout=deadline - time.time())
        if m["parent_header"].get("msg_id") == msg_id:
            reply = m
            break
    if reply is None or reply["content"]["status"] != "error" \
            or "CellInterruptedException" not in reply["content"]["evalue"]:
        fail(f"interrupt: {reply and reply['content']}")
    print("OK interrupt", flush=True)

    outputs = []
    r = kc.execute_interactive("kept + 1", timeout=60, output_hook=outputs.append)
    values = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]
    if r["content"]["status"] != "ok" or values != ["42"]:
        fail(f"state after interrupt: {r['content']} {values}")
    print("OK state kept", flush=True)

    # An extension jar added with %jars registers its renderer in the notebook's class loader.
    jar = os.environ.get("LL_PROBE_JAR")
    if jar:
        outputs = []
        r = kc.execute_interactive(f"%jars {jar}\nnew probe.Swatch()", timeout=60, output_hook=outputs.append)
        html = [o["content"]["data"].get("text/html", "") for o in outputs if o["msg_type"] == "execute_result"]
        if r["content"]["status"] != "ok" or html != ["<b>swatch-html</b>"]:
            fail(f"extension from %jars: {r['content']} {html}")
        print("OK extension via %jars", flush=True)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
