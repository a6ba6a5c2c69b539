"""The observer web page's server: observers fill their checklist from their own laptops while
feedback is open (aiohttp on the app's asyncio loop). aiohttp loads only when this is used."""
