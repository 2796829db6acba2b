// Every test runs pwsh child processes, and many run VMs on /dev/kvm: one at a time on this machine's two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
