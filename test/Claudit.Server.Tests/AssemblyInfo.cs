// Every gateway in this process publishes on the one "Claudit" meter name, and each gateway's
// exporters listen by name: gateways started by tests running side by side would count each
// other's calls. One at a time keeps each test's numbers its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
