# The Python client of the Spawn API document (reference seed 000), verbatim, driven against AgentDeck.
# Only the base URL and the agent's command differ from the document (its agent.py does not exist here).
import sys
import requests
import asyncio

class SpawnClient:
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip('/')

    async def spawn_process(self, config: dict) -> dict:
        response = requests.post(
            f"{self.base_url}/api/spawn/process",
            json=config
        )
        response.raise_for_status()
        return response.json()

    async def get_process_status(self, process_id: str) -> dict:
        response = requests.get(
            f"{self.base_url}/api/spawn/process/{process_id}"
        )
        response.raise_for_status()
        return response.json()

# Usage
async def main():
    client = SpawnClient(sys.argv[1])
    config = {
        'id': 'my-agent',
        'name': 'My Agent',
        'type': 'trading_agent',
        'command': 'sleep',
        'args': ['300'],
        'autoRestart': True
    }
    result = await client.spawn_process(config)
    assert result['success'] is True, result
    status = await client.get_process_status('my-agent')
    print(status['data']['status'], status['data']['pid'])

asyncio.run(main())
