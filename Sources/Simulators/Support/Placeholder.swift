// simulators
