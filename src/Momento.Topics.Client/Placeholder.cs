namespace Momento.Topics.Client;
