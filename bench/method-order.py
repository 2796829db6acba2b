# gdb script of bench/method-order: runs one hnest command with a one-shot breakpoint on every managed method and
# writes the methods in the order they first ran. Started as:
#   gdb -batch -x bench/method-order.py <hnest> with METHOD_ORDER_SYMBOLS, METHOD_ORDER_MAIN, METHOD_ORDER_ARGS,
#   METHOD_ORDER_OUT and, to trace the child the command starts, METHOD_ORDER_CHILD=1 in the environment.
import os
import gdb

gdb.execute("set pagination off")
gdb.execute("set confirm off")
# A breakpoint stays in the code between stops: with thousands of them, taking them all out at every stop is slow.
gdb.execute("set breakpoint always-inserted on")
gdb.execute("handle SIGUSR1 SIGUSR2 SIG34 SIG35 SIGPIPE nostop noprint pass")
if os.environ.get("METHOD_ORDER_CHILD"):
    # The command starts the process to trace (hnest vm start, its worker): follow it from the fork and stop where it
    # executes hnest. Run under gdb directly, the worker would lead its process group, where setsid fails.
    gdb.execute("set follow-fork-mode child")
    gdb.execute("set detach-on-fork on")
    gdb.execute("catch exec")
    gdb.execute("run " + os.environ["METHOD_ORDER_ARGS"])
else:
    gdb.execute("starti " + os.environ["METHOD_ORDER_ARGS"])

# The binary is position-independent: symbol offsets are relative to where main landed.
base = int(gdb.parse_and_eval("(long)&main")) - int(os.environ["METHOD_ORDER_MAIN"], 16)
names = {}
for line in open(os.environ["METHOD_ORDER_SYMBOLS"]):
    offset, name = line.split()
    breakpoint = gdb.Breakpoint("*0x%x" % (base + int(offset, 16)), internal=True, temporary=True)
    breakpoint.silent = True
    names[breakpoint.number] = name

first_run = []


def on_stop(event):
    if isinstance(event, gdb.BreakpointEvent):
        first_run.extend(names[b.number] for b in event.breakpoints if b.number in names)


gdb.events.stop.connect(on_stop)
while gdb.selected_inferior().pid:
    try:
        gdb.execute("continue", to_string=True)
    except gdb.error:
        break

with open(os.environ["METHOD_ORDER_OUT"], "w") as out:
    out.writelines(name + "\n" for name in first_run)
