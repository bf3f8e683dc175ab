global using Xunit;

[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1861:Avoid constant arrays as arguments", Justification = "Test expectations read best inline.")]

// One browser and one emulator for every test, one test at a time: the machine has few cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
