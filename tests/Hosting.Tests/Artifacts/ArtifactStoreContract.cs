namespace PrunerPipeline.Hosting.Tests.Artifacts;

/// <summary>The behaviour every <see cref="IArtifactStore"/> must have; run once per implementation.</summary>
public abstract class ArtifactStoreContract
{
    /// <summary>A fresh, empty store (skips the test when its backend is unavailable).</summary>
    protected abstract Task<IArtifactStore> CreateStoreAsync();

    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task A_written_blob_reads_back_byte_for_byte()
    {
        var store = await CreateStoreAsync();
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 % 251)).ToArray();

        await store.WriteAsync("runs/r1/rollouts/shard-0000.jsonl", new MemoryStream(bytes), None);

        await using var read = await store.OpenReadAsync("runs/r1/rollouts/shard-0000.jsonl", None);
        Assert.NotNull(read);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.True(await store.ExistsAsync("runs/r1/rollouts/shard-0000.jsonl", None));
    }

    [SkippableFact]
    public async Task Rewriting_the_same_name_replaces_it_and_leaves_no_duplicates()
    {
        var store = await CreateStoreAsync();

        await store.WriteTextAsync("runs/r1/rewards/shard-0001.jsonl", "first delivery", None);
        await store.WriteTextAsync("runs/r1/rewards/shard-0001.jsonl", "redelivery", None);

        Assert.Equal("redelivery", await store.ReadTextAsync("runs/r1/rewards/shard-0001.jsonl", None));
        Assert.Equal(["runs/r1/rewards/shard-0001.jsonl"], await ToListAsync(store.ListAsync("runs/r1/", None)));
    }

    [SkippableFact]
    public async Task A_write_that_fails_midway_leaves_the_previous_content()
    {
        var store = await CreateStoreAsync();
        await store.WriteTextAsync("runs/r1/run.json", "complete", None);

        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync("runs/r1/run.json", new FailingStream(bytesBeforeFailure: 10_000), None));

        Assert.Equal("complete", await store.ReadTextAsync("runs/r1/run.json", None));
        Assert.Equal(["runs/r1/run.json"], await ToListAsync(store.ListAsync("runs/r1/", None)));
    }

    [SkippableFact]
    public async Task Racing_creators_of_one_name_have_exactly_one_winner_and_its_content_stays()
    {
        var store = await CreateStoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.CreateAsync("runs/race/run.json", new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"creator {i}")), None))));

        Assert.Single(results, created => created);
        var winner = Array.IndexOf(results, true);
        Assert.Equal($"creator {winner}", await store.ReadTextAsync("runs/race/run.json", None));
        Assert.False(await store.CreateAsync("runs/race/run.json", new MemoryStream([1, 2, 3]), None));
        Assert.Equal($"creator {winner}", await store.ReadTextAsync("runs/race/run.json", None));
        Assert.Equal(["runs/race/run.json"], await ToListAsync(store.ListAsync("runs/race/", None)));
    }

    [SkippableFact]
    public async Task A_missing_blob_reads_as_null_and_does_not_exist()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.OpenReadAsync("runs/nope/run.json", None));
        Assert.False(await store.ExistsAsync("runs/nope/run.json", None));
        Assert.Null(await store.ReadJsonAsync<StartPruningRun>("runs/nope/run.json", None));
        Assert.Empty(await ToListAsync(store.ListAsync("runs/nope/", None)));
    }

    [SkippableFact]
    public async Task Listing_returns_only_the_prefix_in_ordinal_order()
    {
        var store = await CreateStoreAsync();
        foreach (var name in new[] { "runs/b/x.json", "runs/a/2.json", "runs/a/10.json", "runs/ab/1.json", "samples/s/1.jsonl" })
        {
            await store.WriteTextAsync(name, name, None);
        }

        Assert.Equal(["runs/a/10.json", "runs/a/2.json"], await ToListAsync(store.ListAsync("runs/a/", None)));
        Assert.Equal(["runs/a/10.json", "runs/a/2.json", "runs/ab/1.json"], await ToListAsync(store.ListAsync("runs/a", None)));
        Assert.Equal(5, (await ToListAsync(store.ListAsync("", None))).Count);
    }

    [SkippableFact]
    public async Task Deleting_removes_the_blob_and_deleting_again_is_fine()
    {
        var store = await CreateStoreAsync();
        await store.WriteTextAsync("runs/r1/eval/report.json", "{}", None);

        await store.DeleteAsync("runs/r1/eval/report.json", None);
        await store.DeleteAsync("runs/r1/eval/report.json", None);

        Assert.False(await store.ExistsAsync("runs/r1/eval/report.json", None));
    }

    [SkippableTheory]
    [InlineData("../x")]
    [InlineData("runs/../../etc/passwd")]
    [InlineData("/abs/path")]
    [InlineData("runs//double")]
    [InlineData("runs/with space")]
    [InlineData("runs/./dot")]
    [InlineData("")]
    public async Task Names_that_could_escape_or_are_malformed_are_rejected(string name)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteTextAsync(name, "x", None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(name, None));
    }

    [SkippableFact]
    public async Task Json_helpers_round_trip_a_message_with_camel_case_and_enum_names()
    {
        var store = await CreateStoreAsync();
        var run = new StartPruningRun { RunId = "json-run", Method = PruningMethod.Dpo, SamplesPerProblem = 4, EvaluationDatasets = ["gsm8k", "math500"] };

        await store.WriteJsonAsync("runs/json-run/run.json", run, None);

        var text = await store.ReadTextAsync("runs/json-run/run.json", None);
        Assert.Contains("\"method\": \"dpo\"", text);
        Assert.Contains("\"ratioGranularity\": \"sequence\"", text);
        Assert.Contains("\"samplesPerProblem\": 4", text);
        var back = await store.ReadJsonAsync<StartPruningRun>("runs/json-run/run.json", None);
        Assert.NotNull(back);
        Assert.Equal(run.Method, back.Method);
        Assert.Equal(run.EvaluationDatasets, back.EvaluationDatasets);
    }

    [SkippableFact]
    public async Task A_folder_uploads_and_downloads_with_its_relative_layout()
    {
        var store = await CreateStoreAsync();
        using var source = new TemporaryFolder("upload");
        Directory.CreateDirectory(Path.Combine(source.Path, "sub"));
        await File.WriteAllTextAsync(Path.Combine(source.Path, "config.json"), "{\"hidden_size\": 8}");
        await File.WriteAllBytesAsync(Path.Combine(source.Path, "sub", "model.safetensors"), [1, 2, 3, 4]);

        var written = await store.UploadFolderAsync("runs/r1/checkpoints/step-000001", source.Path, None);

        Assert.Equal(["runs/r1/checkpoints/step-000001/config.json", "runs/r1/checkpoints/step-000001/sub/model.safetensors"], written);
        using var target = new TemporaryFolder("download");
        var count = await store.DownloadFolderAsync("runs/r1/checkpoints/step-000001", target.Path, None);
        Assert.Equal(2, count);
        Assert.Equal("{\"hidden_size\": 8}", await File.ReadAllTextAsync(Path.Combine(target.Path, "config.json")));
        Assert.Equal([1, 2, 3, 4], await File.ReadAllBytesAsync(Path.Combine(target.Path, "sub", "model.safetensors")));
    }

    protected static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> names)
    {
        var list = new List<string>();
        await foreach (var name in names)
        {
            list.Add(name);
        }
        return list;
    }

    /// <summary>Yields some bytes, then throws: a writer dying in the middle of an upload.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= bytesBeforeFailure)
            {
                throw new IOException("writer died mid-upload");
            }
            var n = Math.Min(count, bytesBeforeFailure - position);
            Array.Fill(buffer, (byte)'x', offset, n);
            position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
