using System.Text.Json;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace PrunerPipeline.Orchestrator.Persistence;

/// <summary>
/// A MassTransit saga repository over <see cref="IRunStateDocuments"/>: load by correlation id, save with the version
/// that was read. No queries: every run message correlates by id (<see cref="Runs.RunCorrelation"/>).
/// </summary>
public sealed class DocumentSagaRepositoryContextFactory<TSaga>(IRunStateDocuments documents, ISagaConsumeContextFactory<IRunStateDocuments, TSaga> factory)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public void Probe(ProbeContext context) => context.Add("persistence", documents.GetType().Name);

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        var repositoryContext = new DocumentSagaRepositoryContext<TSaga, T>(documents, context, factory);
        await next.Send(repositoryContext);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotSupportedException("The run-state repository correlates by id only; saga queries are not supported");

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        await asyncMethod(new LoadContext(documents, cancellationToken));

    private sealed class LoadContext(IRunStateDocuments documents, CancellationToken ct) : BasePipeContext(ct), LoadSagaRepositoryContext<TSaga>
    {
        public async Task<TSaga> Load(Guid correlationId)
        {
            var document = await documents.LoadAsync(correlationId, CancellationToken);
            return document is null ? null! : JsonSerializer.Deserialize<TSaga>(document.Json, Json)!;
        }
    }
}
