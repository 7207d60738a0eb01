import GatehouseCLI

await GatehouseCommand.runAndExit()
