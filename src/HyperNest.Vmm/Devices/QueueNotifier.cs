using HyperNest.Kvm;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Devices;

/// <summary>
/// Serves a virtio-mmio device's queue notifications off the vCPU threads: KVM_IOEVENTFD turns the guest's write of
/// a queue index to QueueNotify into an eventfd signal (no exit to user space), and one thread per queue processes
/// that queue. The transport's own lock keeps this safe against register accesses from vCPUs.
/// </summary>
public sealed class QueueNotifier : IDisposable
{
    private readonly List<(EventFd EventFd, Thread Thread)> _queues = [];
    private volatile bool _stopping;

    public QueueNotifier(KvmVm vm, MmioTransport transport, ulong baseAddress, string name)
    {
        try
        {
            for (int index = 0; index < transport.Device.QueueCount; index++)
            {
                var eventFd = new EventFd();
                int queue = index;
                var thread = new Thread(() => Serve(eventFd, transport, queue)) { IsBackground = true, Name = $"{name}-q{queue}" };
                _queues.Add((eventFd, thread));
                vm.RegisterIoeventfd(eventFd, baseAddress + MmioTransport.QueueNotifyOffset, 4, datamatch: (ulong)queue);
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        foreach ((_, Thread thread) in _queues)
        {
            thread.Start();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach ((EventFd eventFd, Thread thread) in _queues)
        {
            if (thread.IsAlive)
            {
                eventFd.Signal();
                thread.Join();
            }

            eventFd.Dispose();
        }

        _queues.Clear();
    }

    private void Serve(EventFd eventFd, MmioTransport transport, int queue)
    {
        while (true)
        {
            eventFd.Wait();
            if (_stopping)
            {
                return;
            }

            transport.NotifyQueue(queue);
        }
    }
}
