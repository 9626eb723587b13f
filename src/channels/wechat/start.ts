export async function startWechat(_runtime: unknown): Promise<{ stop(): Promise<void> }> { throw new Error("todo"); }
