using System.Runtime.InteropServices;

namespace Strata.Storage;

/// <summary>
/// Durability helpers .NET lacks: syncing a directory (so a created or renamed file's name survives a
/// power loss, as Prometheus does after renaming a checkpoint or block directory), and the
/// write-to-temp, fsync, rename sequence that makes a file appear atomically.
/// </summary>
internal static partial class FileSync
{
    private const int ORdonly = 0;
    private const int ODirectory = 0x10000; // Linux x64/arm64

    /// <summary>fsync(2) on the directory; a no-op where directories cannot be opened (Windows).</summary>
    public static void SyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        int flags = OperatingSystem.IsLinux() ? ORdonly | ODirectory : ORdonly;
        int fd = Open(dir, flags);
        if (fd < 0) throw new IOException($"cannot open directory {dir} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {dir} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Writes a whole file durably: to <c>path.tmp</c>, fsync, rename over <paramref name="path"/>.</summary>
    public static void WriteFileAtomic(string path, ReadOnlySpan<byte> content)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
