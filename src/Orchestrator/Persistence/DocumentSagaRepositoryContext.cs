using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace PrunerPipeline.Orchestrator.Persistence;

/// <summary>One message's view of the run-state documents; remembers the version of every instance it loaded.</summary>
public sealed class DocumentSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly IRunStateDocuments documents;
    private readonly ConsumeContext<TMessage> context;
    private readonly ISagaConsumeContextFactory<IRunStateDocuments, TSaga> factory;
    private readonly Dictionary<Guid, string> versions = [];

    public DocumentSagaRepositoryContext(IRunStateDocuments documents, ConsumeContext<TMessage> context, ISagaConsumeContextFactory<IRunStateDocuments, TSaga> factory)
        : base(context)
    {
        this.documents = documents;
        this.context = context;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(documents, context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        try
        {
            versions[instance.CorrelationId] = await documents.CreateAsync(instance.CorrelationId, Serialize(instance), CancellationToken);
        }
        catch (ConcurrencyException)
        {
            // MassTransit loads the existing instance instead.
            return null!;
        }
        return await factory.CreateSagaConsumeContext(documents, context, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var document = await documents.LoadAsync(correlationId, CancellationToken);
        if (document is null)
        {
            return null!;
        }
        versions[correlationId] = document.ETag;
        var instance = JsonSerializer.Deserialize<TSaga>(document.Json, DocumentSagaRepositoryContextFactory<TSaga>.Json)
            ?? throw new InvalidDataException($"Run state {correlationId} is not valid JSON for {typeof(TSaga).Name}");
        return await factory.CreateSagaConsumeContext(documents, context, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> sagaContext) =>
        versions[sagaContext.Saga.CorrelationId] = await documents.CreateAsync(sagaContext.Saga.CorrelationId, Serialize(sagaContext.Saga), CancellationToken);

    public async Task Update(SagaConsumeContext<TSaga> sagaContext)
    {
        var id = sagaContext.Saga.CorrelationId;
        if (!versions.TryGetValue(id, out var etag))
        {
            throw new ConcurrencyException($"Run state {id} is updated without having been loaded", typeof(TSaga), id);
        }
        versions[id] = await documents.ReplaceAsync(id, Serialize(sagaContext.Saga), etag, CancellationToken);
    }

    public async Task Delete(SagaConsumeContext<TSaga> sagaContext)
    {
        var id = sagaContext.Saga.CorrelationId;
        if (versions.TryGetValue(id, out var etag))
        {
            await documents.DeleteAsync(id, etag, CancellationToken);
        }
    }

    public Task Discard(SagaConsumeContext<TSaga> sagaContext) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> sagaContext) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(documents, consumeContext, instance, mode);

    private static string Serialize(TSaga instance) => JsonSerializer.Serialize(instance, DocumentSagaRepositoryContextFactory<TSaga>.Json);
}
