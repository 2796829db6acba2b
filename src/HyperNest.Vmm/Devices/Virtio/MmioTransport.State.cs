namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>Pausing, save and restore of the transport (<see cref="MmioTransportState"/>).</summary>
public sealed partial class MmioTransport
{
    /// <summary>
    /// Stops the device working for the guest: queue notifications (ioeventfd threads, a device's own thread) are
    /// noted, not served. A queue turn in progress holds the transport's lock, so when this returns none is running
    /// and none will start: the device's state and guest memory are still until <see cref="Resume"/>.
    /// </summary>
    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
        }
    }

    /// <summary>Serves what was notified while paused, then lets notifications through again.</summary>
    public void Resume()
    {
        lock (_lock)
        {
            _paused = false;
            for (int index = 0; index < _notifiedWhilePaused.Length; index++)
            {
                if (_notifiedWhilePaused[index])
                {
                    _notifiedWhilePaused[index] = false;
                    ProcessQueue(index);
                }
            }
        }
    }

    /// <summary>
    /// Takes a turn on every queue, as if the driver had notified each: after a restore, whatever the driver made
    /// available while the saved VM was pausing (a notification its old process held) is served.
    /// </summary>
    public void ServeAllQueues()
    {
        lock (_lock)
        {
            for (int index = 0; index < _queues.Length; index++)
            {
                ProcessQueue(index);
            }
        }
    }

    /// <summary>The transport's state, taken under its lock; nothing changes.</summary>
    public MmioTransportState Save()
    {
        lock (_lock)
        {
            return new MmioTransportState
            {
                Status = _status,
                DriverFeatures = _driverFeatures,
                DeviceFeaturesSelect = _deviceFeaturesSelect,
                DriverFeaturesSelect = _driverFeaturesSelect,
                QueueSelect = _queueSelect,
                InterruptStatus = _interruptStatus,
                ConfigGeneration = _configGeneration,
                NotifiedBeforeDriverOk = [.. _notifiedBeforeDriverOk],
                Queues = [.. _queues.Select(q => q.Save())],
            };
        }
    }

    /// <summary>
    /// Puts the transport where <paramref name="state"/> says, on a transport just built for the same device. A
    /// running device (DRIVER_OK) is activated with the saved features, as the driver's DRIVER_OK write would; no
    /// interrupt is raised (one the driver had not taken is in the interrupt controller's saved state).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The state is not this device's: another queue count, features it does not offer, a status no driver can have
    /// reached, or a queue state the queue refuses. The transport is left as it was.
    /// </exception>
    public void Restore(MmioTransportState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Queues.Count != _queues.Length || state.NotifiedBeforeDriverOk.Count != _queues.Length)
        {
            throw new InvalidDataException($"virtio-mmio state: {state.Queues.Count} queues saved, the device has {_queues.Length}");
        }

        if ((state.DriverFeatures & ~OfferedFeatures) != 0)
        {
            throw new InvalidDataException($"virtio-mmio state: driver features 0x{state.DriverFeatures:x} include some the device does not offer (0x{OfferedFeatures:x})");
        }

        if (state.Status.HasFlag(VirtioDeviceStatus.DriverOk) && !state.Status.HasFlag(VirtioDeviceStatus.FeaturesOk))
        {
            throw new InvalidDataException($"virtio-mmio state: status {state.Status} has DRIVER_OK without FEATURES_OK");
        }

        for (int i = 0; i < _queues.Length; i++)
        {
            _queues[i].EnsureCanRestore(state.Queues[i]);
        }

        lock (_lock)
        {
            for (int i = 0; i < _queues.Length; i++)
            {
                _queues[i].Restore(state.Queues[i]);
            }

            _status = state.Status;
            _driverFeatures = state.DriverFeatures;
            _deviceFeaturesSelect = state.DeviceFeaturesSelect;
            _driverFeaturesSelect = state.DriverFeaturesSelect;
            _queueSelect = state.QueueSelect;
            _interruptStatus = state.InterruptStatus;
            _configGeneration = state.ConfigGeneration;
            state.NotifiedBeforeDriverOk.ToArray().CopyTo(_notifiedBeforeDriverOk, 0);
            if (_status.HasFlag(VirtioDeviceStatus.DriverOk))
            {
                _device.Activate(_driverFeatures);
            }
        }
    }
}
