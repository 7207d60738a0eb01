import GatehouseCLI

// Before any await: SwiftNIO installs its event loops as the executor from the main thread.
GatehouseCommand.adoptEventLoopExecutor()
await GatehouseCommand.runAndExit()
