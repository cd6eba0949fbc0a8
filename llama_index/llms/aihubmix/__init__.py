from llama_index_aihubmix.llms import AIHubMix as AIHubMix
