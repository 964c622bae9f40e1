using Claudit.Store.DuckDb;

namespace Claudit.Store.Tests;

/// <summary>A fresh directory for a store file, deleted with everything in it on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("claudit-store-tests-").FullName;
    }

    public string Directory { get; }

    public string StorePath => Path.Combine(Directory, DuckDbCallStore.FileName);

    public DuckDbCallStore Open(bool readOnly = false) => DuckDbCallStore.Open(StorePath, readOnly);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing must not fail the test; the OS cleans temp eventually.
        }
    }
}
