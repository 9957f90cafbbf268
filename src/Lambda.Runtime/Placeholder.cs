namespace Amazon.Lambda;
