global using Xunit;

// Tests pass literal arrays to assertions once each; caching them in static fields would only hide the expectation.
[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1861:Avoid constant arrays as arguments", Justification = "Test expectations read best inline.")]
